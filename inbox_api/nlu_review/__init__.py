"""The trainers' review queue: unanswered messages become labelled NLU examples."""
