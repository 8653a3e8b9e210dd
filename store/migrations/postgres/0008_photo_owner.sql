-- A photo belongs to the first signal that names it (issue 8, item 11): a declared
-- upload looks that signal up by photo id, and a push refuses a create naming a photo
-- id some signal already names. Not unique: signals that named another's photo before
-- that was refused stay as they are; their claims are dropped when the owner declares.
CREATE INDEX neighbourhood_signals_photo ON neighbourhood_signals (photo_id) WHERE photo_id IS NOT NULL;
