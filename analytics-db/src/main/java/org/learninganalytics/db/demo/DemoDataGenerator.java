package org.learninganalytics.db.demo;

import javax.sql.DataSource;

public final class DemoDataGenerator {
    private final DataSource dataSource;
    public DemoDataGenerator(DataSource dataSource) { this.dataSource = dataSource; }
}
