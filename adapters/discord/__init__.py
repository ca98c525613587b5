"""The Discord bot: `/verbatim` app commands, alert embeds in threads, buttons.

Setup and permissions: docs/discord.md.
"""
