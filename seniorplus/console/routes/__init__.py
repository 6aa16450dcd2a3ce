"""The console's pages, one small module per area; `seniorplus.console.web` includes them."""
