package io.pgsnapman.service.catalog.notify;

import io.pgsnapman.service.catalog.settings.NotificationProperties;

/** Delivers a notification to one destination; an exception is a failed delivery, tried again later. */
@FunctionalInterface
public interface Sender {
    void send(NotificationProperties.Destination destination, Notification notification) throws Exception;
}
