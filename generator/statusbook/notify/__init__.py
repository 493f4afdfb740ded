"""After a deploy: what changed (pure), its webhook payloads, and sending it."""
