/**
 * Bulwark as a service: the REST API and dashboard, scan jobs claimed through the database by any number of
 * server / worker processes, and the persistence of inventories, findings, audit results and policy decisions.
 */
package dev.bulwark.server;
