-- btree_gist lets one exclusion constraint combine `=` on a product with `&&` on date ranges.
-- It is a trusted extension: a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gist;
