"""The dashboard for admins and team leads: charts of SLA, tickets, containment, CSAT, load."""
