"""The Discord bot: `/verbatim` app commands, alert embeds in threads, buttons (see docs/discord.md)."""
