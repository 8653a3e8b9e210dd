-- The streets the app knows, per neighbourhood (issue 10): "use my location" fills in
-- the nearest one on the phone. A street crossing two neighbourhoods is a row in each,
-- with the part of its line that lies there. The line is GeoJSON text (LineString or
-- MultiLineString), stored and served whole like a boundary. House-number ranges
-- (issue 12) will be rows of their own referring to `streets (id)`.
CREATE TABLE streets (
    id               UUID PRIMARY KEY NOT NULL,
    neighbourhood_id UUID NOT NULL REFERENCES neighbourhoods (id),
    name             TEXT COLLATE "C" NOT NULL,
    line_geojson     TEXT NOT NULL,
    UNIQUE (neighbourhood_id, name)
);
