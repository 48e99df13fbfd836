"""camp-timeline's Qt window and command line. Importing this package does not import Qt."""
