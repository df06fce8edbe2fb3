"""The model server: every Rasa process pulls the promoted model from here (Rasa's pattern)."""
