"""Response-time SLAs: the business calendar, the rules, the scheduler and the report."""
