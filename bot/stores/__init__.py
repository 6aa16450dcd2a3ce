"""Rasa stores for several replicas: an atomic Redis lock, a tracker store failing loudly."""
