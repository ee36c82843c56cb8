-- A heartbeat writes last_heartbeat and the robot's measurements; robots_liveness (V5) indexed
-- (status, last_heartbeat), so every heartbeat was a non-HOT update that added an entry to both
-- indexes of robots and left a dead one behind (docs/performance.md, "A big fleet": 10,000
-- robots heartbeat 2,000 times a second). Without it a heartbeat changes no indexed column and
-- is a HOT update when its page has room, which the fill factor leaves. The offline sweep reads
-- robots by status and last_heartbeat once a second: a scan of the robots table, one row a robot.
-- The same version in ../h2 drops the index (H2 has no fill factor).
DROP INDEX IF EXISTS robots_liveness;
ALTER TABLE robots SET (fillfactor = 50);
