-- The robot's current WebSocket connection, whichever instance holds it: register writes it,
-- a close clears it. A robot has one session across all instances: an instance closes (4009) a
-- connection that is no longer its robot's current one, and claims jobs for a connection only
-- while it is the current one (checked in the claim statement). Robots of the REST pull
-- protocol have none.
ALTER TABLE robots ADD COLUMN connection_id VARCHAR(64);
ALTER TABLE robots ADD COLUMN connection_instance VARCHAR(100);
ALTER TABLE robots ADD COLUMN connected_at TIMESTAMP WITH TIME ZONE;
