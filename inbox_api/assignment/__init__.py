"""Teams, agent presence and automatic assignment of waiting tickets (issue 15)."""
