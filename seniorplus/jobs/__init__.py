"""The persisted job queue: its model, schedule once, claim, finish, recover."""
