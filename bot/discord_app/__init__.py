"""The Discord adapter: client, commands, embeds and views. The only package that imports discord."""
