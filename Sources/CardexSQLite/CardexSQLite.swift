// The CardexSQLite module.
