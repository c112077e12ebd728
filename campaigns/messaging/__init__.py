"""Messages to callers: what to say (templates), how to send (backends), when (services)."""
