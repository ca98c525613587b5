"""How Verbatim is started: the `verbatim` command (`cli`), the long-running bot (`runner`) and
its chat platforms (`chat`). Each receives what `bot.bootstrap.open_app` built."""
