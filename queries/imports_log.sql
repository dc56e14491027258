-- One row per import, newest first: when, who, which file (SHA-256), what it stored, how many warnings.
select
    import_id, imported_at, user_name, action, restored_from, file_name, sha256, size_bytes, rows, warning_count
from imports
order by import_id desc
