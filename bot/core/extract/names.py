"""Names in an article: who is a person, their gender, and the fullest form of every mention.

"Mr. Macron", "Macron" and "President Emmanuel Macron" all resolve to "Emmanuel Macron";
"The US" to "United States"; "the Élysée" to "Élysée".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from importlib.resources import files

from bot.core.extract.vocabulary import CUE_STEMS, NOT_NAME, ROLE_NOUNS, ROLE_PATTERN
from bot.core.speaker_names import NAME_GAP, UPPER, is_group


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "President", "Sen", "Senator",
    "Rep", "Representative", "Gov", "Governor", "Sir", "Dame", "Lord", "Lady", "Minister",
    "Chancellor", "Prime Minister", "Secretary", "General", "Gen", "Col", "Capt", "Judge",
    "Justice", "Rev", "Pope", "King", "Queen", "Prince", "Princess", "Mayor", "Speaker",
    "Vice President", "Foreign Minister", "Defence Minister", "Defense Secretary", "Ambassador",
    "Chairman", "Chairwoman", "Commissioner", "Director", "Chief", "Premier", "Sheikh",
    "Former", "former", "Coach", "Fire Chief", "Police Chief", "Bishop", "Then-President",
    "Attorney General", "Secretary of State", "Councillor", "Councilor", "Councilman",
    "Councilwoman", "Alderman", "Alderwoman", "Congressman", "Congresswoman", "Leader",
    "Secretary-General", "Director-General", "Counsel", "Lt", "Sgt", "Cpl", "Maj", "Adm",
    "Staff Sgt", "Coun", "Cst", "Const", "Supt", "Insp", "Det", "Cmdr", "MP", "MPP", "MLA",
    "MNA", "MEP", "Reeve", "Deputy Reeve", "Warden", "Deputy Mayor", "Deputy Premier", "Ald",
    "Trustee", "Mme",
    # the plural before two names: "Councillors Ivo Brandt and Maja Fors voted against"
    "Councillors", "Councilors", "Senators", "Sens", "Reps", "Representatives", "Governors",
    "Govs", "Drs", "Messrs", "Ministers", "Judges", "Justices",
)  # fmt: skip
_TITLE_RE = "(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + ")"
# The titles ahead of a name: four at most. A run of them ("Mr Dr Mr Dr …") is no name, and
# left unbounded, trying every split of such a run between titles and name took quadratic time.
TITLED = rf"(?:(?:{_TITLE_RE})\.?\s+){{0,4}}"
_WORD = rf"(?:[{UPPER}]\.(?:[{UPPER}]\.)*|[{UPPER}][\w’'\-]*)"
_PARTICLE = r"(?:de|da|van|von|der|la|le|du|al|bin|ben|di|dos|del)"
NAME = rf"{_WORD}(?:{NAME_GAP}(?:{_PARTICLE}{NAME_GAP})?{_WORD})*"
_NAME_RE = re.compile(rf"(?<![\w’']){NAME}")
_PRINCIPAL = re.compile(rf"{TITLED}{NAME}")  # whom a spokesperson speaks for, named
# A title (up to four) and a name; every match opens on a title's first letter, so the
# lookahead skips the other positions before the alternation is tried (a third of the roster's
# time), with the same matches.
_TITLE_FIRSTS = "".join(sorted({t[0] for t in TITLES}))
_TITLED_NAME = re.compile(
    rf"(?<![\w’'])(?=[{_TITLE_FIRSTS}])((?:{_TITLE_RE})\.?\s+){{1,4}}({NAME})"
)
_ORG_WORDS = _words(
    """
    union states kingdom nations institute center centre memorandum ministry party committee
    authority bureau corporation society coalition alliance caucus
    council department news times post agency university bank association organization
    organisation network republic house court office group company inc corp press reuters tass
    nato kremlin pentagon army navy force forces police commission parliament congress senate
    assembly foundation fund journal daily agreement treaty accord charter act declaration
    convention protocol campaign administration government federation church school college
    club league world europe america africa asia state board herald gazette tribune chronicle
    courier sentinel examiner inquirer telegraph observer radio television magazine wire media
    broadcasting airlines airways railways lines holdings industries ltd llc
    monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december the a an this that it in on at for and but if when while after before
    since although as of by with from to its their his her our we they he she i you there here
    what why how who
    """
)
ALIASES = {
    "US": "United States", "U.S.": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "UK": "United Kingdom",
    "U.K.": "United Kingdom", "Britain": "United Kingdom", "UN": "United Nations",
    "U.N.": "United Nations", "EU": "European Union", "E.U.": "European Union",
}  # fmt: skip
_HAND_FEMALE = _words(
    """
    mary anna anne alina angela hillary nancy elizabeth sarah maria marie ursula kamala
    theresa jacinda sanna kaja annalena nicola liz giorgia christine margaret jane emma laura
    julia olena olga irina natalia susan karen linda lisa michelle amy catherine claire sophie
    helen ruth rachel rebecca nikki marine segolene valerie agnes ilhan alexandria elise
    kirsten tulsi carly haley heather jennifer jessica greta ingrid astrid karin eva hannah
    kristen loretta betsy michele debbie barbara patricia samantha amanda stephanie melania
    ivanka chelsea huma donna kellyanne sheryl lena nora ida elin ines clara mara anja maren
    dana sara lucy alice grace emily olivia sophia isabel isabelle charlotte victoria diana
    monica sandra carol sharon deborah janet joan judith kathleen kelly megan melissa nicole
    paula rosa sylvia tina wendy yvonne zoe chloe fatima aisha leila priya anita
    carla sonia sonja sofia natasha tanya tatiana svetlana yulia oksana ana ann annie beth
    betty brenda carmen caroline cassandra cecilia christina cindy colleen courtney cynthia
    danielle denise dolores doris dorothy eileen elaine eleanor elena ellen erica esther
    evelyn felicia frances gail gina gloria hilary irene jacqueline jeanne jenna
    jill joanne josephine joyce judy julie karina katherine kathryn katie kate kristin
    kristina lauren leah lillian lori louise lynn madeleine marcia margo marianne marilyn
    marsha martha maureen melanie meredith miriam molly nadia naomi natalie nina pamela
    patty peggy phyllis rachael renee rita roberta rosemary roxanne sally sheila shirley
    stacey susanne suzanne tamara teresa tiffany tracy vanessa vera veronica vivian
    yolanda zeynep ayesha amira yasmin farah layla mariam meera anjali deepa kavita sunita
    neha pooja lakshmi mei xiu jasmine parveen chantal genevieve geneviève josee josée manon
    mathilde nathalie sylvie veronique véronique monique francine ginette lucie martine
    brigitte celine céline elodie élodie helene hélène mireille odile pascale solange chloé
    chrystia jagoda beata agnieszka katarzyna magdalena ewa anastasia daria ekaterina galina
    ludmila marina nadezhda valentina alicia adriana beatriz camila daniela fernanda
    gabriela juliana luisa mariana paola silvia ximena amélie amelie émilie emilie mélanie
    melanie valérie valerie stéphanie stephanie andrée andree jocelyne lise claudette noémie
    noemie maude rosalie béatrice beatrice éloïse eloise marie-ève marie-eve marie-claude
    marie-josée marie-josee marie-pier anne-marie isabelle karine annie sophie zainab noor
    rania huda salma khadija halyna iryna tetiana svitlana nataliya kateryna
    """
)
_HAND_MALE = _words(
    """
    john james robert michael william david richard joseph thomas charles emmanuel vladimir
    joe donald barack george bill ted marco jeb chris rand ben mike bernie martin nicolas
    francois jean pierre olaf boris rishi volodymyr dmitry sergei sergey viktor recep xi jens
    antony lloyd jake paul peter mark andrew steven scott kevin brian jason tim tom jim bob
    mitch chuck newt ron rick jack harry henry anders lars erik hans karl ahmed mohammed ali
    omar hugo jonas tomas oskar pavel sam nils tor aron rune milo kyle marco luis carlos jose
    juan miguel antonio giuseppe luca matteo ivan alexei andrei anton daniel matthew anthony
    christopher patrick edward frank gary dennis larry jerry eric stephen timothy gregory
    raymond frederick philip simon adam benjamin samuel nathan ryan justin jonathan douglas
    keith gordon neil ian colin graham alan kenneth walter arthur albert ernest leon hassan
    raj rajesh ravi sanjay amit arjun vikram rahul anil sunil deepak jagmeet navdeep
    mohammad muhammad mohamed abdul ahmad hamid karim khalid mustafa tariq yusuf ibrahim
    hussein al jian hiroshi kenji takeshi jacques andre andré benoit benoît denis françois
    gilles julien laurent luc marc mathieu maxime michel olivier philippe rené sebastien
    sébastien stephane stéphane yves alain bernard christophe gerard gérard aaron adrian
    alexander allan andy arnold barry bradley brandon brent brett bruce bryan calvin carl
    charlie clarence clifford craig curtis dale dan danny darren derek doug duncan dwight
    eddie edwin elijah elliott eugene evan floyd fred gavin geoffrey glenn greg harold
    harvey herbert howard isaac jacob jared jeff jeffrey jeremy jesse joel johnny jon josh
    joshua julian ken kurt leonard lewis louis lucas luke malcolm marcus mario marvin matt
    mitchell nathaniel nick nicholas noah norman oliver oscar owen perry pete phil ralph
    randy reginald robbie rodney roger roland russell seth shane shawn sean sidney spencer
    stanley stuart theodore todd tony travis trevor troy tyler vernon victor vincent wayne
    wesley zachary dominic pablo diego alejandro fernando javier manuel rafael ricardo
    sergio emilio enrique andrés jorge alberto roberto francesco alessandro giovanni lorenzo
    stefano wojciech piotr tomasz krzysztof andrzej mikhail nikolai yuri oleg igor vitali
    dmitri taras bohdan mykola réjean rejean gaétan gaetan rémi remi rémy remy félix felix
    étienne etienne frédéric frederic guillaume jérôme jerome sylvain normand réal ghislain
    yvon éric loïc loic zacharie mathis jean-françois jean-francois jean-pierre jean-guy
    jean-marc jean-philippe pierre-luc marc-andré marc-andre youssef yousef hamza bilal faisal
    imran kamal samir nabil rami ziad walid rajiv sandeep mandeep kuldeep jagdeep oleksandr
    andriy yuriy vasyl petro dmytro serhiy mykhailo ihor
    """
)


# Words the census first-name files hold that the training texts show are no first names: they
# write them in lower case ("will", "hope", "rose") or, capitalised, mostly not before another
# capitalised word as a first name stands before a surname ("Cruz said", "South Carolina", "in
# June"). Derived by bench/census_names.py from the non-check PolNeAR training articles.
NOT_CENSUS_NAMES = _words(
    """
    abe aide alba allen alpha america an anderson angeles angelo angle april art asia aubrey
    august aura austin autumn bee bennett booker brady brain brock brooks bryant buck buddy
    burton cameron carolina carry carson carter chance charity chase cherish cheyenne chin
    china christian christie clark cleveland cliff clinton coleman columbus cruz crystal cyrus
    dakota dallas davis dawn dean denver desire destiny dick doyle drew earnest echo elias else
    emanuel era eve fairy faith fallon florida foster france francis francisco franklin freddy
    gale garland gay georgia german gil golden grant guy ha hang harris harrison hong hope
    houston hung hunter in india irish isaiah israel ivory jackson jan january jesus
    johnson jordan joy june junior kendall kerry king kirk kit lady lane latina lean liberty
    lincoln loan long lore lou love madison major malik man many marry maryland mason max may
    melody mercy merrill merry miles miss moon morris murray my nelson nevada noble numbers ok
    olive orlando pa page palmer paris patience pearl penny porter precious prince prudence
    queen raleigh reagan reed reid rich rico rocky rod roosevelt rose ross rosy royal rubin
    sanford sang season see september sherman sherry so son song soon spring stanford stanton
    star starr sterling stewart sue summer sun sunday sunny taylor tiny tyson una van velvet
    violet virginia von wade walker wallace ward warren will williams wilson winter yen young
    """
)
# A census name is a woman's or a man's when nine in ten of those the census gave it were
# ("Wanda", "Dustin"); between, a first name of either ("Morgan", "Kim", "Robin"). A name more
# common as a family name than as a first name ("Lu", "Lee") has no gender either: it is as
# often the family name written first ("Lu Kang") or someone else's first name.
_ONE_SEX = 0.9


def _census(file: str) -> dict[str, float]:
    """Name (lower case) -> percent of the population in one census file of the package
    ``names`` (columns NAME FREQ CUMFREQ RANK, most frequent first), read from the installed
    package; the names rounded to 0.000 percent are left out."""
    text = files("names").joinpath(file).read_text(encoding="ascii")
    rare = text.find(" 0.000 ")
    rows = map(str.split, text[: rare if rare >= 0 else len(text)].splitlines())
    return {row[0].lower(): float(row[1]) for row in rows if len(row) == 4}


CENSUS_MALE = _census("dist.male.first")  # percent of men
CENSUS_FEMALE = _census("dist.female.first")  # percent of women
_CENSUS_FAMILY = _census("dist.all.last")  # percent of everyone
CENSUS_FIRST = CENSUS_MALE.keys() | CENSUS_FEMALE.keys()
HAND_FIRST_NAMES = _HAND_MALE | _HAND_FEMALE


def _census_sex(name: str) -> str:
    """The gender of a census first name, "f", "m" or "", by the two files' frequencies."""
    f, m = CENSUS_FEMALE.get(name, 0.0), CENSUS_MALE.get(name, 0.0)
    if _CENSUS_FAMILY.get(name, 0.0) > (f + m) / 2:
        return ""
    return "f" if f >= _ONE_SEX * (f + m) else "m" if m >= _ONE_SEX * (f + m) else ""


# The hand lists keep every name and its gender; the census adds those it does not hold.
_ADDED = {n: _census_sex(n) for n in CENSUS_FIRST - HAND_FIRST_NAMES - NOT_CENSUS_NAMES}
FEMALE = _HAND_FEMALE | {n for n, g in _ADDED.items() if g == "f"}
MALE = _HAND_MALE | {n for n, g in _ADDED.items() if g == "m"}
# built once: the roster asks for every run of capitals
FIRST_NAMES = HAND_FIRST_NAMES | _ADDED.keys()
_TITLE_WORDS = frozenset(w.lower() for t in TITLES for w in t.split()) | {"then-president"}
# Words that are a title on their own; the others ("of", "state", "vice") only continue one.
_TITLE_HEADS = frozenset(t.lower() for t in TITLES if " " not in t) | {"then-president"}


def drop_titles(words: list[str]) -> list[str]:
    """Words after the last title: ``French President Emmanuel Macron``, ``Secretary of State
    John Kerry`` -> the name; ``Bank of Canada`` keeps its "of"."""
    cut = 0
    for i, w in enumerate(words[:-1]):
        low = w.lower().rstrip(".")
        if low in _TITLE_HEADS or (low in _TITLE_WORDS and cut == i):
            cut = i + 1
    if cut and is_organisation(words[cut:]):
        return words  # "State Department", "Justice Department": the name of an office
    return words[cut:]


# "Boston’s", "Fox News’", "Chicago-based", "Oscar-winner": what a name is, not it ("Ban
# Ki-moon" stays); a quoted word ("Not To ‘Moan’ About Hillary Clinton") no part of it.
_LEAD_IN = re.compile(
    r"[’']s?$|-(?:based|born|area|winner|winning|led|backed|owned|run|bred|raised|native|style|"
    r"era|funded|affiliated|aligned|leaning|turned|elect|year-old)$"
)
_NOT_IN_NAME = NOT_NAME | _ORG_WORDS


def _lead_in_end(words: list[str], keep: int) -> int:
    """Where a name starts past its lead-in: after the last ``Boston’s`` or ``Chicago-based``
    word and the non-name words after it, leaving ``keep`` words at least."""
    last = len(words) - keep
    cut = max((i + 1 for i, w in enumerate(words[:last]) if _LEAD_IN.search(w)), default=0)
    while cut < last and words[cut].lower().strip(".,") in NOT_NAME:
        cut += 1
    return cut


def _without_lead_in(words: list[str]) -> list[str]:
    """A mention without the words that lead its name in: ``MSNBC’s Chris Matthews``,
    ``Texas-based Matt Kay``, ``Because Twitter``; an organisation's name stays whole (``Swiss
    People’s Party``)."""
    cut = _lead_in_end(words, keep=1)
    rest = words[cut:]
    if not cut or not rest[0][:1].isupper() or is_organisation(rest) or is_group(" ".join(words)):
        return words  # "Some Democrats" stays the group it is
    return rest


def name_words(words: list[str]) -> list[str]:
    """The words of a name without what leads it in the sentence: ``So Donald Trump``,
    ``Republican Donald Trump``, ``North Carolina’s Ada Fisher``, ``Liberal Oscar-winner
    Sarandon``; none for a shouted label (``FULL TEXT``)."""
    if len(words) == 1:  # most runs of capitals: nothing leads in, nothing to cut
        w = words[0]
        dropped = w.lower().strip(".,") in _NOT_IN_NAME or _LEAD_IN.search(w)
        return [] if dropped or (w.isupper() and len(w) > 1) else words
    words = drop_titles(words)
    while words and words[0].lower() in _ORG_WORDS:
        words = words[1:]
    of = max((i + 1 for i, w in enumerate(words) if w in ("of", "Of")), default=0)
    if 0 < of < len(words) - 1 and words[of].lower() in FIRST_NAMES:
        words = words[of:]  # "The Unhappy Campaign Of Paul Manafort": a headline about him
    lowered = [w.lower().strip(".,") for w in words]
    if any(w in _ORG_WORDS for w in lowered):
        return words  # an organisation's name is written whole: "Democratic National Convention"
    words = words[_lead_in_end(words, keep=0) :]
    if words and all(w.isupper() and len(w) > 1 for w in words):
        return []
    return words


# Someone speaking for a person the phrase names, who is not the one speaking: "a spokesperson
# for Premier Lorna Whitfield", "a lawyer for Ines Calloway"; but "Assistant to the President
# Jane Roe" is Jane Roe.
_PROXY = re.compile(
    r"(?:(?:a|an|the)\s+)?(?:[\w’'-]+\s+){0,2}?(?:spokesperson|spokesman|spokeswoman|aide|"
    r"adviser|advisor|lawyer|attorney|staffer|assistant|publicist|agent)\s+(?:for|to)\s+",
    re.IGNORECASE,
)


def speaks_for(mention: str) -> bool:
    """The mention is someone speaking for the person it names."""
    m = _PROXY.match(mention)
    return m is not None and _PRINCIPAL.fullmatch(mention, m.end()) is not None


def strip_title(mention: str) -> str:
    """``Mr. Macron`` -> ``Macron``; ``The US`` -> ``US``."""
    m = mention.strip().rstrip(",")
    m = re.sub(r"^(?:the|The|THE)\s+", "", m)
    m = re.sub(r"[’']s$", "", m)
    rest = " ".join(drop_titles(m.split()))
    return rest if rest else m


@dataclass(slots=True)
class Roster:
    """Every name an article uses, keyed for resolution."""

    full: dict[str, str] = field(default_factory=dict)  # last word -> most used fullest name
    family: dict[str, list[str]] = field(default_factory=dict)  # last word -> fullest names
    count: dict[str, int] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)  # fullest name -> "m" | "f"
    persons: set[str] = field(default_factory=set)
    # Persons the article writes as people: a title, a known first name, or the surname alone
    # ("Wilcox said"); a capitalised phrase ("Social Security") never is, so no "she" is it.
    evidenced: set[str] = field(default_factory=set)
    lower: _LowerWords | None = None  # the words the article writes in lower case
    # The names each title is written before, as written: "mayor" -> ["Ines Calloway"]
    titled: dict[str, list[str]] = field(default_factory=dict)
    # Names written family name first, by that name: "Ban" -> "Ban Ki-moon" ("Ban said")
    family_first: dict[str, str] = field(default_factory=dict)

    def has_surname(self, word: str) -> bool:
        """A word the article gives a person as their surname (``King``, ``Ebeling``)."""
        return any(c in self.persons for c in self.family.get(word.strip(), ()))

    def surnames_among(self, words: AbstractSet[str]) -> frozenset[str]:
        """The surnames of the article's persons that are among ``words`` (lower case): ``May``
        of ``Elizabeth May`` among the words that open sentences."""
        return frozenset(
            last
            for last, family in self.family.items()
            if last.lower() in words and any(c in self.persons for c in family)
        )

    def common_word(self, word: str) -> bool:
        """``Report``, ``Analysis``, ``Hundreds``: a word the article also writes in lower case,
        no one's surname here and no first name, capitalised only because a sentence opens on
        it."""
        low = word.lower()
        return (
            self.lower is not None
            and low in self.lower
            and low not in FIRST_NAMES
            and not self.has_surname(word)
        )

    def resolve(self, mention: str | None) -> str | None:
        """The fullest name for a mention as written, or the mention without its title."""
        if not mention or speaks_for(mention.strip()):
            return None  # "a spokesperson for Premier Lorna Whitfield" is not the premier
        bare = strip_title(mention)
        if bare in ALIASES:
            return ALIASES[bare]
        if not bare[:1].isupper():
            return self._described(bare)
        bare = " ".join(_without_lead_in(bare.split()))  # "MSNBC’s Chris Matthews"
        words = bare.split()
        family = self.family.get(words[-1], [])
        candidates = [c for c in family if len(c) >= len(bare)]
        candidates = [c for c in candidates if all(w in c.split() for w in words[:-1])]
        if not candidates and len(words) > 2:
            # "Deckhand Nils Marek", "Wellmouth County Recorder Helen Lund": the role or office
            # the roster left out, if no organisation's name
            rest = next(  # (a name of five words at most: a long run costs no more)
                (
                    r
                    for i in range(max(1, len(words) - 5), len(words) - 1)
                    if (r := " ".join(words[i:])) in family
                ),
                None,
            )
            if rest is not None and rest in self.persons:
                return bare if is_organisation(words) else rest
        honorific = mention.strip().split()[0].rstrip(".").lower() if mention.strip() else ""
        wanted = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}.get(honorific, "")
        if wanted:
            agreeing = [c for c in candidates if self.gender.get(c, "") in ("", wanted)]
            candidates = agreeing or candidates
        people = [c for c in candidates if c in self.persons]
        candidates = people or candidates  # a person of that surname before a phrase with it
        if not candidates:
            return bare
        # the most written; then one whose first word is no common word capitalised
        # ("Thomas Perez" over the headline's "Understated Perez"); then the longest
        return max(
            candidates, key=lambda c: (self.count.get(c, 0), not self._weak_first(c), len(c))
        )

    def _weak_first(self, name: str) -> bool:
        """The name opens on a word the article also writes in lower case, a participle or
        an adverb, or a role: "Understated Perez", "Following Sanders", "Professors Foner"."""
        low = name.split()[0].lower()
        if low in FIRST_NAMES:
            return False
        return (
            low in (self.lower or ())
            or low.endswith(("ed", "ing", "ly"))
            or low in ROLE_NOUNS
            or low.removesuffix("s") in ROLE_NOUNS
        )

    def _described(self, mention: str) -> str | None:
        """``the younger Whitford``, ``a teary-eyed Bush``, ``then-candidate Trump``: one word
        or two describing a person the article names; never ``some Democrats`` or ``senator
        from Florida``."""
        words = mention.split()
        if words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        cut = next((i for i, w in enumerate(words) if w[:1].isupper()), len(words))
        if not 0 < cut <= 2 or cut == len(words):
            return None
        if any(not _DESCRIBING.fullmatch(w) or w in _NOT_DESCRIBING for w in words[:cut]):
            return None
        person = self.resolve(" ".join(words[cut:]))
        return person if person in self.evidenced else None  # a person, not "super PAC"


# A word describing a person ahead of their name: lower case, no particle ("de Blasio"), and
# no quantifier or preposition ("some Democrats", "senator from Florida").
_DESCRIBING = re.compile(rf"(?!{_PARTICLE}$)[a-z]+(?:-[a-z]+)?")
_NOT_DESCRIBING = frozenset(
    """some many most few several all both each every any no other those these such only
    one two three four five six seven eight nine ten dozens hundreds thousands millions
    and or of for from by with in on at to as than like about against over under after before
    into upon near toward towards between among without within behind beyond across through
    during via per""".split()  # noqa: SIM905
)


def is_organisation(words: list[str]) -> bool:
    """``The Ministry``, ``Harbour Workers Union``: a word of the name says it is no person
    (though ``Theresa May`` and ``Al From``, a first name and a month or a word, are people)."""
    for i, w in enumerate(words):
        low = w.lower().strip(".,")
        if low not in _ORG_WORDS or _INITIAL.fullmatch(w):
            continue
        last = 0 < i == len(words) - 1
        if last and low in _WORD_SURNAMES and words[i - 1].lower() in FIRST_NAMES:
            continue
        return True
    return False


_WORD_SURNAMES = frozenset({"may", "march", "from"})  # Theresa May, Al From


_INITIAL = re.compile(rf"[{UPPER}]\.")  # "William A. Ackman": an initial, not the article "a"


def _is_person_name(words: list[str], titled: bool) -> bool:
    if is_organisation(words):
        return False
    if titled:
        return True
    return (len(words) >= 2 and words[0].lower() in FIRST_NAMES) or len(words) in (2, 3)


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z]+(?![\w’'-])")


class _LowerWords:
    """The words an article writes in lower case, read once and only if asked for."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._words: frozenset[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = lower_words(self._text)
        return word in self._words


_NOT_WORD = re.compile(r"[^\w’'-]")  # a character no _LOWER_WORD match touches or borders on
_STRETCH = 1 << 16


def lower_words(text: str) -> frozenset[str]:
    """The distinct words ``_LOWER_WORD`` finds in ``text``, read with ``findall`` a stretch of
    about 64k characters at a time (a list of every word of a long text would cost its size).
    A stretch ends at a character outside the pattern's word class, where no match ends
    otherwise than it would in the whole text."""
    words: set[str] = set()
    pos, n = 0, len(text)
    while pos < n:
        cut = _NOT_WORD.search(text, min(pos + _STRETCH, n))
        end = cut.start() if cut else n
        words.update(_LOWER_WORD.findall(text, pos, end))
        pos = end
    return frozenset(words)


def _role_at_sentence_start(text: str, at: int, word: str, then: str, lower: _LowerWords) -> bool:
    """``Lawyer`` in ``Lawyer Dana Pike said``: capitalised only because it opens the sentence,
    no first name, and a word the article also writes in lower case or one before a first name
    (``Deckhand Ivo Marek``)."""
    before = text[max(0, at - 3) : at].rstrip(" “\"'‘")
    if before and before[-1] not in ".!?\n":
        return False
    low = word.lower()
    if not low.replace("-", "").isalpha() or low in FIRST_NAMES:
        return False
    if low.startswith("co-"):
        return True  # "Co-author Liam Redsky", "Co-chair …": a role, whatever follows
    # "Rider Sam Okafor" beside "riders"; "Passenger Ruth Okonjo"; "Resident Ada Lind"
    return low in lower or low + "s" in lower or then.lower() in FIRST_NAMES or low in ROLE_NOUNS


# After a name: an age or a description with a role ("Amadou Magassa, 13,", "Gao Junlan, a
# lawyer"); before it: a role ("The finance minister, Lou Jiwei,").
_GIVEN_AFTER = re.compile(
    rf",\s+(?:\d{{1,3}},|(?:the|a|an)\s+(?:[\w’'-]+\s+){{0,4}}?(?:{ROLE_PATTERN})\b)"
)
_ROLE_JUST_BEFORE = re.compile(rf"\b(?:{ROLE_PATTERN}),?\s+$", re.IGNORECASE)
# What follows a name written alone as a speaker: "Ban recalled", "Lou quickly said".
_SAYING_AFTER = re.compile(rf"\s+(?:\w+ly\s+)?(?:{CUE_STEMS})\b")


def _occurrences(text: str, words: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each place ``words`` stands in ``text``, in order."""
    at = text.find(words)
    while at >= 0:
        yield at, at + len(words)
        at = text.find(words, at + len(words))


def _speaks_alone(text: str, word: str) -> bool:
    """``word`` stands on its own before a verb of saying somewhere in ``text``."""
    return any(
        (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_’'-"))
        and _SAYING_AFTER.match(text, end)
        for at, end in _occurrences(text, word)
    )


def _introduced_as_person(text: str, name: str) -> bool:
    """The article gives ``name`` an age or a role: "Amadou Magassa, 13,", "Gao Junlan, a
    lawyer", "The finance minister, Lou Jiwei," (not "the Clinton Global Initiative")."""
    return any(
        _GIVEN_AFTER.match(text, end) or _ROLE_JUST_BEFORE.search(text, max(0, at - 40), at)
        for at, end in _occurrences(text, name)
    )


_AFTER_OF = re.compile(r"\bof\s$")


def _past_office(
    words: list[str], text: str, at: int, lower: Container[str], written: Counter[str]
) -> list[str]:
    """A name (its run of capitals at ``at``) without the office or place that leads it in:
    "(mayor of) Fenwick Wanda Oakes", "(Director of) Government Affairs Phil Smith",
    "Maricopa County Recorder Helen Purcell" -> the person's name, opening on a known first
    name after words the article writes after "of", or the last of which is a role or a word
    the article also writes in lower case, or which the article also writes as a name of its
    own (``written``, each run's words: "The Inside Story of the Real Donald Trump", "Donald
    Trump" elsewhere); not "Billie Jean King"."""
    if not words or words[0].lower() in FIRST_NAMES:
        return words
    first = next((i for i, w in enumerate(words[1:-1], 1) if w.lower() in FIRST_NAMES), 0)
    if not first:
        return words
    before = words[first - 1].lower().strip(".,")
    if (
        _AFTER_OF.search(text, max(0, at - 4), at)
        or (len(before) > 1 and words[first - 1].strip(".,").isupper())  # "Library CEO Anjali"
        or before in lower
        or before in ROLE_NOUNS
        or written[" ".join(words[first:])] > 0
    ):
        return words[first:]
    return words


def build_roster(text: str) -> Roster:
    """Collect names with titles stripped; multi-word names win over single words."""
    roster = Roster()
    titled_last: dict[str, str] = {}
    for m in _TITLED_NAME.finditer(text):
        name = m.group(2)
        title = m.group(1).strip().rstrip(".").lower()
        last = name.split()[-1]
        roster.titled.setdefault(title.split()[-1], []).append(name)
        if title in ("mr", "sir", "lord", "king", "prince"):
            titled_last[last] = "m"
        elif title in ("mrs", "ms", "miss", "dame", "lady", "queen", "princess"):
            titled_last[last] = "f"
        else:
            titled_last.setdefault(last, "")
    found: list[tuple[str, bool]] = []
    alone: set[str] = set()  # words written on their own: "Wilcox said", never "Social Security"
    lower = roster.lower = _LowerWords(text)
    runs = [(m.start(), name_words(m.group().split())) for m in _NAME_RE.finditer(text)]
    written = Counter(" ".join(words) for _, words in runs)
    for at, words in runs:
        words = _past_office(words, text, at, lower, written)
        if len(words) == 1:
            alone.add(words[0].rstrip(".,"))
        if len(words) < 2 or len(words) > 5:
            continue
        if (
            len(words) > 2
            and not is_organisation(words)
            and _role_at_sentence_start(text, at, words[0], words[1], lower)
        ):
            words = words[1:]  # "Lawyer Dana Pike represents …" beside "the lawyer for …"
        found.append((" ".join(words).rstrip(".,"), _is_person_name(words, False)))
    # Longest first, then in order of first appearance: never the order of a set (hash seeds).
    for name, _ in sorted(dict.fromkeys(found), key=lambda f: -len(f[0])):
        last = name.split()[-1]
        family = roster.family.setdefault(last, [])
        firsts = name.split()[:-1]
        if not any(all(w in c.split() for w in firsts) for c in family):
            family.append(name)
    for name, person in found:
        words = name.split()
        for c in roster.family.get(words[-1], []):
            if all(w in c.split() for w in words[:-1]):
                roster.count[c] = roster.count.get(c, 0) + 1
                if person or (words[-1] in titled_last and not is_organisation(c.split())):
                    roster.persons.add(c)  # not "Justice Department", though "Justice" titles
                break
    openers = Counter(f.split()[0] for f, _ in dict.fromkeys(found))  # "Kestrel Marine" too
    for name in sorted(roster.persons):
        words = name.split()
        head = words[0]
        if head not in alone or words[-1] in alone or head in roster.family or openers[head] > 1:
            continue
        if (
            len(words) in (2, 3)
            and head.lower() not in FIRST_NAMES
            and _speaks_alone(text, head)
            and _introduced_as_person(text, name)
        ):
            # "Ban Ki-moon … “…,” Ban recalled": the name the article uses alone, and as a
            # speaker, is the family name, written first
            roster.family[head] = [name]
            roster.family_first[head] = name
            alone.add(words[-1])
    for name in roster.persons:
        words = name.split()
        if words[-1] in alone or words[-1] in titled_last or words[0].lower() in FIRST_NAMES:
            roster.evidenced.add(name)
    for last, family in roster.family.items():
        roster.full[last] = max(family, key=lambda c: (roster.count.get(c, 0), len(c)))
        for name in family:
            first = name.split()[0].lower()
            g = "f" if first in FEMALE else "m" if first in MALE else ""
            if not g and len(family) == 1:
                g = titled_last.get(last, "")
            roster.gender[name] = g
    return roster
