-- Issue 8, item 3: an account's role decides which of team and organisation it has.
-- Police (officer, team lead, intervention officer) a team and no organisation;
-- partners and city services an organisation and no team; admins neither. Until now
-- only the admin page kept to that: through the JSON API a team lead could make an
-- officer of a partner organisation, whose signals then carried that organisation,
-- so the partner read the police text. The application checks it in one use case
-- (domain::Membership); this CHECK holds it for every row, however written. Whether
-- the organisation is of the right kind (a city service for a city-service account)
-- needs the organisations table, which a CHECK cannot read: that stays with the
-- application. (The numbers stay the same for the same change on both stores; SQLite's 0007 has no PostgreSQL twin.)

-- 1. Rows that break the rule lose what their role does not have. Nothing is
-- invented: the application has never let a police account go without a team, nor a
-- partner or city service without an organisation, so only extras are found here.
UPDATE users SET partner_org_id = NULL
    WHERE role IN ('officer', 'team_lead', 'intervention_officer') AND partner_org_id IS NOT NULL;
UPDATE users SET team_id = NULL WHERE role IN ('partner', 'city_service') AND team_id IS NOT NULL;
UPDATE users SET team_id = NULL, partner_org_id = NULL
    WHERE role = 'admin' AND (team_id IS NOT NULL OR partner_org_id IS NOT NULL);

-- 2. Signals such a police account filed carry the organisation it had; they are the
-- team's, not the partner's. The feed keeps who may see each change, so its rows for
-- those signals say the same (a copy a partner's phone already pulled stays there).
UPDATE neighbourhood_signals SET author_org_id = NULL
    WHERE author_org_id IS NOT NULL AND author_id IN (
        SELECT id FROM users WHERE role IN ('officer', 'team_lead', 'intervention_officer'));
UPDATE sync_changes SET author_org_id = NULL
    WHERE record_kind = 'signal' AND author_org_id IS NOT NULL AND author_id IN (
        SELECT id FROM users WHERE role IN ('officer', 'team_lead', 'intervention_officer'));

-- 3. The rule itself.
ALTER TABLE users ADD CONSTRAINT users_membership_fits_role CHECK (
    (role IN ('officer', 'team_lead', 'intervention_officer') AND team_id IS NOT NULL AND partner_org_id IS NULL)
    OR (role IN ('partner', 'city_service') AND team_id IS NULL AND partner_org_id IS NOT NULL)
    OR (role = 'admin' AND team_id IS NULL AND partner_org_id IS NULL));
