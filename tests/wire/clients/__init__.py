"""Partner clients, one per wire pattern, each built the way published integrations build requests."""
