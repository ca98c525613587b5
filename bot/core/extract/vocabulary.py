"""The words attribution depends on: cue verbs, plural speakers, capitalised non-names."""

from __future__ import annotations

import re

from bot.core.speaker_names import GROUP_NOUNS

CUE_STEMS = (
    "say|said|says|saying|add|adds|added|adding|tell|tells|told|telling|ask|asks|asked|"
    "warn|warns|warned|warning|insist|insists|insisted|plead|pleads|pleaded|declare|declares|"
    "declared|explain|explains|explained|note|notes|noted|state|states|stated|argue|argues|"
    "argued|claim|claims|claimed|continue|continues|continued|announce|announces|announced|"
    "comment|comments|commented|write|writes|wrote|tweet|tweets|tweeted|post|posts|posted|"
    "reply|replies|replied|respond|responds|responded|stress|stresses|stressed|urge|urges|"
    "urged|suggest|suggests|suggested|acknowledge|acknowledges|acknowledged|admit|admits|"
    "admitted|recall|recalls|recalled|remark|remarks|remarked|observe|observes|observed|"
    "caution|cautions|cautioned|predict|predicts|predicted|promise|promises|promised|"
    "remind|reminds|reminded|repeat|repeats|repeated|assure|assures|assured|cite|cites|cited|"
    "summarize|summarizes|fume|fumed|fumes|bark|barked|wonder|wondered|laugh|laughed|sigh|"
    "sighed|brag|bragged|crow|crowed|gripe|griped|thunder|thundered|proclaim|proclaimed|"
    "object|objected|protest|protested|confide|confided|whisper|whispered|reason|reasoned|"
    "speculate|speculated|tease|teased|assert|asserts|asserted|affirm|affirmed|reads|"
    "summarized|summarised|describe|describes|described|dismiss|dismisses|dismissed|"
    "condemn|condemns|condemned|call|calls|called|emphasize|emphasized|emphasised|"
    "concede|concedes|conceded|complain|complains|complained|report|reports|reported|"
    "believe|believes|believed|think|thinks|thought|agree|agrees|agreed|deny|denies|denied|"
    "mention|mentions|mentioned|contend|contends|contended|maintain|maintains|maintained|"
    "vow|vows|vowed|pledge|pledges|pledged|predicted|quip|quipped|joke|joked|boast|boasted|"
    "allege|alleges|alleged|charge|charged|accuse|accused|criticize|criticized|criticised|"
    "praise|praised|reiterate|reiterated|recount|recounted|testify|testified|demand|demanded|"
    "estimate|estimated|conclude|concluded|question|questioned|questions|gloat|gloated|"
    "blare|blared|tout|touted|muse|mused|shout|shouted|yell|yelled|exclaim|exclaimed|"
    "scoff|scoffed|snap|snapped|counter|countered|retort|retorted|lament|lamented|"
    "opine|opined|interject|interjected|press|pressed|chant|chanted|scream|screamed|"
    "acknowledging|adding|arguing|noting|writing|"
    "explaining|insisting|warning|asking|telling|calling|describing|stressing"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


INVERSE = _words(
    """
    said says added asked wrote continued explained noted argued insisted warned declared
    replied pleaded responded stated tweeted concluded according to fumed barked wondered
    laughed sighed bragged thundered whispered reads asserted proclaimed speculated writes adds
    asks notes argues insists warns explains continues replies recalls recalled tweets declares
    concludes cautioned cautions observed observes quipped quips announced announces confirmed
    confirms
    """
)

BARE = GROUP_NOUNS  # "Officials said": a group, not a name

# What people are called by what they do or where they live: "Finance minister Ada Lind",
# "Lawyer Dana Pike", "Resident Ada Lind", "a veteran diplomat, Tor Haug,".
ROLE_NOUNS = frozenset(
    """leader minister spokesman spokeswoman spokesperson secretary senator chief director
    president official adviser advisor lawyer economist analyst professor candidate governor
    mayor chairman chairwoman ambassador general commander executive founder manager coach
    captain judge prosecutor attorney strategist pollster researcher scientist expert activist
    organizer organiser representative lawmaker member host anchor moderator writer author
    editor reporter columnist actor actress singer star officer head owner resident residents
    passenger commuter shopper voter student nurse teacher driver worker farmer fisherman
    neighbour neighbor parent mother father patient customer tenant landlord survivor witness
    victim volunteer protester protestor veteran retiree employee deckhand sailor miner doctor
    pastor priest rabbi imam player fan spectator homeowner""".split()  # noqa: SIM905
)
# The roles as a regex alternation, longest first ("residents" before "resident").
ROLE_PATTERN = "|".join(sorted(ROLE_NOUNS, key=lambda w: (-len(w), w)))

NOT_NAME = frozenset(
    re.split(
        r"\s+",
        """according if and but this that these those the a an it its in on at after before
    during since while when although under for with as despite by from to though once
    meanwhile however yet also still later earlier now then today yesterday last monday
    tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december republican democrat democratic
    republicans democrats there here what why how who where asked preceded speaking
    in-person one two three several many some other others another every each all both
    instead meanwhile indeed perhaps maybe so or nor not no yes well oh even only neither
    either whether then thus just certainly actually clearly obviously surely finally again
    besides moreover otherwise unlike like including is was liberal conservative progressive
    independent socialist libertarian rather nonetheless nevertheless among amid amidst
    against across toward towards without within upon via until unless whereas whatever about
    whoever few let let's let’s latest together overall recently initially ultimately
    currently apparently reportedly separately likewise similarly specifically additionally
    furthermore regardless nearly almost around throughout beyond between feb mar apr
    jul aug sep sept oct nov dec follow because""".strip(),
    )
)


# Nationalities: an adjective ("The French leader's comment"), never a speaker on its own.
DEMONYMS = frozenset(
    """
    american canadian british english french german italian spanish russian ukrainian chinese
    japanese korean indian israeli palestinian iranian iraqi syrian turkish mexican european
    african asian arab australian dutch swiss swedish polish greek irish scottish welsh
    """.split()  # noqa: SIM905
)

# When something was said, right after the verb: "said Tuesday", "said on Monday night",
# "told reporters afterwards" (the quote finder and the rules' reported speech both read it).
WHEN = (
    r"(?:(?:(?:on|late|early|last|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|today|yesterday|tonight)(?:\s+(?:morning|afternoon|evening|night))?|"
    r"afterwards?)"
)

# Where something was said, as a cue takes it in ("said in a statement that …", "said in an
# interview the band would appeal"): the nouns of a medium.
MEDIUM_NOUNS = (
    r"(?:statement|release|interview|email|e-mail|letter|post|tweet|video|message|speech|op-ed|"
    r"column|filing|report|memo|note|conference|briefing|appearance|affidavit|submission)"
)
