"""Conversation-level evaluation (`make eval-conversations`).

Multi-turn conversations in tests/conversations/eval/{tuned,heldout}/{en,nl}/*.yml are played
against the real running stack over Rasa's REST webhook; every reply is checked for facts from
the seeded data, its language, forbidden content and whether a ticket was (not) created.
`cases` reads and checks the files, `facts` turns seed references into matchers, `checks`
judges one reply, `player` plays the conversations and `report` writes reports/conversations/.
"""
