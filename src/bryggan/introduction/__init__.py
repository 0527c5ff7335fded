"""The broad introduction: a 16-week rotation for cohorts of new hires (issue 15)."""
