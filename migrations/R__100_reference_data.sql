-- Reference data from the seed's "Seed Data" section: achievements and skills.
--
-- Repeatable: Flyway re-runs this file whenever it changes. Rows are inserted when their
-- stable id is missing and otherwise left alone: services change achievements through
-- gamificationRules() and skills through ingestion, DBAs by editing rows, and re-running
-- this file must not undo that. Rows are never deleted here: users may have earned or
-- mastered them.
--
-- Achievement criteria vocabulary (all keys present must hold):
--   coursesCompleted  courses with completed_at set        >= n
--   totalPoints       user_points.total_points             >= n
--   streakDays        user_points.longest_streak           >= n  (a streak once reached)
--   skillsMastered    user_skills with mastery_level >= 80  >= n
--   activityType + activityCount: ledger rows of that activity_type >= n

SET LOCAL ROLE analytics_owner;
DO $$
BEGIN
    IF current_user <> 'analytics_owner' THEN
        RAISE EXCEPTION 'R__100_reference_data must run as analytics_owner inside a transaction (as Flyway runs it), not as %', current_user
            USING HINT = 'SET LOCAL ROLE has no effect outside a transaction: objects would be owned by the wrong role.';
    END IF;
END
$$;

INSERT INTO achievements (id, name, description, icon, tier, criteria) VALUES
    ('first-course',    'First Steps',        'Complete your first course',                 '🎓', 'beginner',     '{"coursesCompleted": 1}'),
    ('first-points',    'Getting Started',    'Earn your first 100 points',                 '⭐', 'beginner',     '{"totalPoints": 100}'),
    ('streak-3',        'On a Roll',          'Learn three days in a row',                  '🔥', 'beginner',     '{"streakDays": 3}'),
    ('quiz-starter',    'Quiz Taker',         'Complete 5 quizzes',                         '📝', 'beginner',     '{"activityType": "quiz_completed", "activityCount": 5}'),
    ('course-collector','Course Collector',   'Complete 5 courses',                         '📚', 'intermediate', '{"coursesCompleted": 5}'),
    ('streak-7',        'Week Warrior',       'Learn seven days in a row',                  '📅', 'intermediate', '{"streakDays": 7}'),
    ('points-1000',     'Point Gatherer',     'Earn 1,000 points',                          '💎', 'intermediate', '{"totalPoints": 1000}'),
    ('skill-master',    'Skill Master',       'Master a skill (mastery 80 or more)',        '🏅', 'intermediate', '{"skillsMastered": 1}'),
    ('streak-30',       'Unstoppable',        'Learn thirty days in a row',                 '⚡', 'advanced',     '{"streakDays": 30}'),
    ('polymath',        'Polymath',           'Master 5 skills',                            '🧠', 'advanced',     '{"skillsMastered": 5}'),
    ('points-10000',    'High Achiever',      'Earn 10,000 points',                         '🚀', 'advanced',     '{"totalPoints": 10000}'),
    ('quiz-champion',   'Quiz Champion',      'Complete 100 quizzes',                       '🏆', 'advanced',     '{"activityType": "quiz_completed", "activityCount": 100}'),
    ('course-legend',   'Course Legend',      'Complete 25 courses',                        '👑', 'elite',        '{"coursesCompleted": 25}'),
    ('streak-100',      'Centurion',          'Learn one hundred days in a row',            '💯', 'elite',        '{"streakDays": 100}'),
    ('points-50000',    'Legend',             'Earn 50,000 points',                         '🌟', 'elite',        '{"totalPoints": 50000}'),
    ('renaissance',     'Renaissance Learner','Master 15 skills',                           '🎨', 'elite',        '{"skillsMastered": 15}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO skills (id, name, domain, level) VALUES
    ('skill-html',          'HTML',                  'frontend',      'beginner'),
    ('skill-css',           'CSS',                   'frontend',      'beginner'),
    ('skill-javascript',    'JavaScript',            'frontend',      'intermediate'),
    ('skill-typescript',    'TypeScript',            'frontend',      'intermediate'),
    ('skill-react',         'React',                 'frontend',      'intermediate'),
    ('skill-accessibility', 'Web Accessibility',     'frontend',      'advanced'),
    ('skill-node',          'Node.js',               'backend',       'intermediate'),
    ('skill-java',          'Java',                  'backend',       'intermediate'),
    ('skill-python',        'Python',                'backend',       'beginner'),
    ('skill-rest-api',      'REST API Design',       'backend',       'intermediate'),
    ('skill-sql',           'SQL',                   'data',          'beginner'),
    ('skill-postgresql',    'PostgreSQL',            'data',          'intermediate'),
    ('skill-data-modeling', 'Data Modeling',         'data',          'advanced'),
    ('skill-statistics',    'Statistics',            'data',          'intermediate'),
    ('skill-ml',            'Machine Learning',      'data',          'advanced'),
    ('skill-docker',        'Docker',                'devops',        'intermediate'),
    ('skill-kubernetes',    'Kubernetes',            'devops',        'advanced'),
    ('skill-ci-cd',         'CI/CD Pipelines',       'devops',        'intermediate'),
    ('skill-security',      'Application Security',  'security',      'advanced'),
    ('skill-owasp',         'OWASP Top 10',          'security',      'intermediate'),
    ('skill-communication', 'Communication',         'soft-skills',   'beginner'),
    ('skill-leadership',    'Leadership',            'soft-skills',   'advanced'),
    ('skill-agile',         'Agile Practices',       'management',    'beginner'),
    ('skill-ux-research',   'UX Research',           'design',        'intermediate')
ON CONFLICT (id) DO NOTHING;

-- Activity rules: points per activity type, caps after Moodle Level Up XP's defaults
-- (at most 10 awards a minute, 3 minutes between identical self-reported ones); the daily
-- login once per day of the learner's own calendar and at most twice in 24 hours; at most
-- 20 videos and 10 forum posts a day (V013).
-- New types are added; existing ones are left alone.
INSERT INTO activity_rules (activity_type, points, self_reportable, max_per_window, window_seconds, min_spacing_seconds,
                            max_per_local_day) VALUES
    ('lesson_completed',      10, false, 10,   60, NULL, NULL),
    ('quiz_completed',        25, false, 10,   60, NULL, NULL),
    ('assignment_submitted',  40, false, 10,   60, NULL, NULL),
    ('course_completed',     100, false, 10,   60, NULL, NULL),
    ('daily_login',            5, true,  2, 86400, NULL, 1),
    ('video_watched',          5, true,  10,   60,  180,   20),
    ('forum_post',            10, true,  10,   60,  180,   10)
ON CONFLICT (activity_type) DO NOTHING;
