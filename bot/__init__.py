"""Code that runs inside the Rasa server: custom NLU components and dialogue policies."""
