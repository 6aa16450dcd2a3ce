"""Demo data: Loire-Atlantique sites and mediators (`booking`), console accounts (`console`)."""
