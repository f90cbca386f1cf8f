"""Retention: what each petition's policy says must go, the staff's dry run, and the hourly run.

rules.py decides (docs/privacy.md); signatures/retention.py carries it out in batches.
"""
