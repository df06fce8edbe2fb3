"""The outbox: agent replies and hand-backs delivered to the customer through Rasa."""
