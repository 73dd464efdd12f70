"""Access: who may do what — groups and rights, accounts, blocks, protection, throttles."""
