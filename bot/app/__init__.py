"""The application service between the core and the world: what the commands and the runner
call. `service.BotBackend` answers every command; `sources` subscribes feeds and ingests their
entries; `channel_digests` builds a channel's digest from the history; `pipeline` lists the
monitor's stages; `settings` reads `verbatim.toml`. It reaches the database and the network
only through the ports of `bot.core.ports`, never importing `storage` or `adapters`: built and
wired by `bot.bootstrap`."""
