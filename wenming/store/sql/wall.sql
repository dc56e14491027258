-- 大屏 wall screens (issue 15): read-only URLs (/wall?token=…) an admin creates and can revoke.
-- Only the SHA-256 of a token is kept: the URL is shown once, when it is created. A token grants
-- the wall screen and nothing else; a revoked one is kept (who, when) and refused.
create sequence if not exists wall_ids start 1;

create table if not exists wall_tokens (
    wall_id      integer primary key default nextval('wall_ids'),
    label        varchar not null,
    token_sha256 varchar not null,
    seconds      integer not null,  -- each screen's time on the wall, unless the URL says ?every=N
    created_by   varchar not null,
    created_at   timestamp not null,
    last_used    timestamp,
    revoked_at   timestamp,
    revoked_by   varchar
);
