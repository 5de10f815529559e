"""Adapters implementing the ports. Import the one you need explicitly."""
