-- The tickets moved on stay at the province: there is nothing to undo.
SELECT 1;
