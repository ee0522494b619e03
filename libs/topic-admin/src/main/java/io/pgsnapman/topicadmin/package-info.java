/** Creation of the topic table's topics ({@link io.pgsnapman.topicadmin.TopicProvisioner}). */
package io.pgsnapman.topicadmin;
