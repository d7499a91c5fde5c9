-- V001: core entities — organizations (tenants), users and their roles.
--
-- Objects are created unqualified: Flyway runs every migration with search_path set to the
-- project's schema (AnalyticsDb.SCHEMA, default "analytics"), so the schema is named once.
--
-- Deviations from the seed (shared/seed/database-architecture.md), on purpose:
--  * users.password_hash is nullable. This service caches users from the identity service
--    and authenticates requests with JWTs; it has no use for credentials and should not be
--    made to hold them. The column stays for schema compatibility.
--  * users.organization_id uses ON DELETE SET NULL (Prisma's default for an optional
--    relation); user_roles cascades as the seed says.
--  * updated_at is maintained by a trigger (Prisma's @updatedAt is client-side only).

CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION set_updated_at() IS
    'Trigger function: stamps updated_at on every UPDATE that reaches the row.';

CREATE TABLE organizations (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    name       text        NOT NULL,
    domain     text,
    settings   jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_organizations PRIMARY KEY (id),
    CONSTRAINT ck_organizations_name_not_blank CHECK (btrim(name) <> ''),
    CONSTRAINT ck_organizations_settings_object CHECK (settings IS NULL OR jsonb_typeof(settings) = 'object')
);
COMMENT ON TABLE organizations IS
    'Tenants. Every user-facing row belongs to one organization through its user.';
COMMENT ON COLUMN organizations.domain IS 'E-mail or web domain of the tenant, informational.';
COMMENT ON COLUMN organizations.settings IS 'Tenant-level settings as a JSON object.';

CREATE TABLE users (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    email           text        NOT NULL,
    password_hash   text,
    full_name       text,
    avatar_url      text,
    organization_id uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email),
    CONSTRAINT fk_users_organization FOREIGN KEY (organization_id)
        REFERENCES organizations (id) ON DELETE SET NULL,
    CONSTRAINT ck_users_email_shape CHECK (email ~ '^[^@\s]+@[^@\s]+$')
);
COMMENT ON TABLE users IS
    'Learners, trainers and administrators, cached from the identity service (id = JWT sub).';
COMMENT ON COLUMN users.password_hash IS
    'Kept for compatibility with the seed schema; this service never stores credentials (NULL).';
COMMENT ON COLUMN users.organization_id IS 'Tenant of the user; NULL for platform-level accounts.';

CREATE TRIGGER trg_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_roles (
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id    uuid        NOT NULL,
    role       text        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_user_roles PRIMARY KEY (id),
    CONSTRAINT uq_user_roles_user_role UNIQUE (user_id, role),
    CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_user_roles_role CHECK (role IN ('learner', 'trainer', 'org_admin', 'platform_admin'))
);
COMMENT ON TABLE user_roles IS
    'Roles granted to a user; they decide which rows row-level security lets the user see.';
COMMENT ON COLUMN user_roles.role IS 'One of learner, trainer, org_admin, platform_admin.';

-- Seed "Indexing Strategy". idx_users_email duplicates uq_users_email's index and
-- idx_user_roles_user is a prefix of uq_user_roles_user_role; both are kept because the seed
-- lists them (Prisma @@index) — a DBA may drop them once query plans confirm they are unused.
CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_organization ON users (organization_id);
CREATE INDEX idx_users_org_created ON users (organization_id, created_at DESC);
CREATE INDEX idx_user_roles_user ON user_roles (user_id);
