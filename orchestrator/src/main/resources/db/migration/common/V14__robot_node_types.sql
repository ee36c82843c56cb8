-- The workflow node types a robot said it runs when it registered (a JSON array), so "why is
-- this job still pending?" can name the node types no online robot offers, whichever instance
-- the robots are connected to. NULL: the robot did not say (REST agents), and it runs any.
ALTER TABLE robots ADD COLUMN node_types TEXT;
