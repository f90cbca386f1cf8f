"""Staff exports: the signature and country CSVs, the delivery PDF, deliveries and the audit log.

Every export is audit-logged (services.py); who may see names is decided in
campaigns/permissions.py (selectors.may_see_names).
"""
