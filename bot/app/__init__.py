"""The application service between the core and the world: what the commands and the runner
call. `service.BotBackend` answers every command; `sources` turns feeds into ingested articles;
`channel_digests` builds a channel's digest from the store; `pipeline` lists the monitor's
stages; `settings` reads `verbatim.toml`. Built and wired by `bot.bootstrap`."""
