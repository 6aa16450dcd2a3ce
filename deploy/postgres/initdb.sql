-- First start of PostgreSQL: the tracker store's database, beside the app's (POSTGRES_DB).
-- Rasa creates its own table; Alembic owns the app's schema (the migrate job).
CREATE DATABASE senior_plus_tracker OWNER senior_plus;
