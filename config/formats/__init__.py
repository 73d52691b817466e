"""Date and number formats by language, where Django's own do not suit (FORMAT_MODULE_PATH)."""
