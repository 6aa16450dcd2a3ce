"""Pure rules shared by both environments (standard library only): opening and quiet hours."""
