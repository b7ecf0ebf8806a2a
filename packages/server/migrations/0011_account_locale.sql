-- The language a user chose (issue #5: remembered per user, not only per device). NULL: not chosen yet.
ALTER TABLE account ADD COLUMN locale text CHECK (locale IN ('en', 'es'));
