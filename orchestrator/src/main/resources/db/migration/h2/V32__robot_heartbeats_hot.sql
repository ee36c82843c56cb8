-- As ../postgresql/V32: heartbeats no longer update an index of robots; the offline sweep scans
-- the robots table, one row a robot.
DROP INDEX IF EXISTS robots_liveness;
