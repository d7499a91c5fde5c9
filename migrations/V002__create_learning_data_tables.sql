-- V002: learning data cached from other microservices (courses, enrollments, skills).
-- This service never reads other services' databases; these rows arrive through ingestion.
--
-- Deviations from the seed, on purpose:
--  * courses.organization_id and courses.trainer_id get the foreign keys the seed's ERD
--    draws (its Prisma model omits the relations); both are optional, so ON DELETE SET NULL.
--  * skills.id is text, not uuid: the seed's own reference data uses ids like 'skill-react'.

CREATE TABLE courses (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    name            text        NOT NULL,
    description     text,
    organization_id uuid,
    trainer_id      uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_courses PRIMARY KEY (id),
    CONSTRAINT fk_courses_organization FOREIGN KEY (organization_id)
        REFERENCES organizations (id) ON DELETE SET NULL,
    CONSTRAINT fk_courses_trainer FOREIGN KEY (trainer_id)
        REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT ck_courses_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE courses IS 'Courses, cached from the course service. trainer_id decides trainer visibility.';
COMMENT ON COLUMN courses.trainer_id IS 'The user who trains this course; sees analytics of its enrolled learners.';

CREATE TABLE enrollments (
    id               uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid          NOT NULL,
    course_id        uuid          NOT NULL,
    enrolled_at      timestamptz   NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    progress_percent numeric(5, 2) NOT NULL,
    CONSTRAINT pk_enrollments PRIMARY KEY (id),
    CONSTRAINT uq_enrollments_user_course UNIQUE (user_id, course_id),
    CONSTRAINT fk_enrollments_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_enrollments_course FOREIGN KEY (course_id)
        REFERENCES courses (id) ON DELETE RESTRICT,
    CONSTRAINT ck_enrollments_progress_range CHECK (progress_percent BETWEEN 0 AND 100),
    CONSTRAINT ck_enrollments_completed_after_enrolled CHECK (completed_at IS NULL OR completed_at >= enrolled_at)
);
COMMENT ON TABLE enrollments IS 'A learner enrolled in a course, with progress; one row per (user, course).';
COMMENT ON COLUMN enrollments.progress_percent IS 'Course progress, 0 to 100.';

CREATE TABLE skills (
    id     text NOT NULL,
    name   text NOT NULL,
    domain text,
    level  text,
    CONSTRAINT pk_skills PRIMARY KEY (id),
    CONSTRAINT ck_skills_level CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    CONSTRAINT ck_skills_name_not_blank CHECK (btrim(name) <> '')
);
COMMENT ON TABLE skills IS 'Reference data: skills learners can master. Readable by every user.';
COMMENT ON COLUMN skills.id IS 'Stable slug, e.g. skill-react.';
COMMENT ON COLUMN skills.level IS 'One of beginner, intermediate, advanced.';

CREATE TABLE user_skills (
    id               uuid          NOT NULL DEFAULT gen_random_uuid(),
    user_id          uuid          NOT NULL,
    skill_id         text          NOT NULL,
    mastery_level    numeric(5, 2) NOT NULL,
    last_assessed_at timestamptz,
    CONSTRAINT pk_user_skills PRIMARY KEY (id),
    CONSTRAINT uq_user_skills_user_skill UNIQUE (user_id, skill_id),
    CONSTRAINT fk_user_skills_user FOREIGN KEY (user_id)
        REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_user_skills_skill FOREIGN KEY (skill_id)
        REFERENCES skills (id) ON DELETE RESTRICT,
    CONSTRAINT ck_user_skills_mastery_range CHECK (mastery_level BETWEEN 0 AND 100)
);
COMMENT ON TABLE user_skills IS 'A learner''s mastery of one skill, from the assessment service.';
COMMENT ON COLUMN user_skills.mastery_level IS 'Mastery, 0 to 100.';

-- Seed "Indexing Strategy" (foreign-key indexes).
CREATE INDEX idx_courses_organization ON courses (organization_id);
CREATE INDEX idx_courses_trainer ON courses (trainer_id);
CREATE INDEX idx_enrollments_user ON enrollments (user_id);
CREATE INDEX idx_enrollments_course ON enrollments (course_id);
CREATE INDEX idx_user_skills_user ON user_skills (user_id);
CREATE INDEX idx_user_skills_skill ON user_skills (skill_id);
