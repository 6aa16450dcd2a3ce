"""Senior Plus input channels for Rasa (one file per channel; bot environment only)."""
