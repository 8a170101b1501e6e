-- Alert episodes (issue #11): each alert message belongs to an episode of one target and
-- variable and says whether it raised, updated or cleared it; it carries the category of the
-- forecast value at the alert's valid time under the configured scheme. Alerts stored before
-- episodes existed become single raised episodes.

ALTER TABLE alerts ADD COLUMN episode_id VARCHAR(128);
ALTER TABLE alerts ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'RAISED';
ALTER TABLE alerts ADD COLUMN category_scheme VARCHAR(16);
ALTER TABLE alerts ADD COLUMN category VARCHAR(64);
UPDATE alerts SET episode_id = id;
ALTER TABLE alerts ALTER COLUMN episode_id SET NOT NULL;
CREATE INDEX alerts_episode_idx ON alerts (episode_id, issued_at);
