DROP TABLE enterprise_cadres;
