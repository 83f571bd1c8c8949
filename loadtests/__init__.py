"""Load tests: a locust file for realistic mixed traffic and a self-contained benchmark."""
