"""Appointments with a mediator: dates read from French (`dates`), free slots (`slots`,
pure), booking over the database (`service`), demo data for Loire-Atlantique (`seed`)."""
